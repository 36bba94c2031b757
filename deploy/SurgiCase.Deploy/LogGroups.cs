using Amazon.CDK;
using Amazon.CDK.AWS.Logs;
using Constructs;

namespace SurgiCase.Deploy;

internal static class LogGroups
{
    /// <summary>
    /// A log group keeping events <paramref name="days"/> days, retained when the stack is deleted but not when a failed
    /// first create rolls back (CloudFormation's RetainExceptOnCreate): a retry must be able to create the same name.
    /// The retention is set on the CloudFormation resource: the .NET <c>RetentionDays</c> enum's numbers are positions.
    /// </summary>
    public static LogGroup Create(Construct scope, string id, string name, int days)
    {
        var group = new LogGroup(scope, id, new LogGroupProps { LogGroupName = name, RemovalPolicy = RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE });
        ((CfnLogGroup)group.Node.DefaultChild!).RetentionInDays = days;
        return group;
    }
}
