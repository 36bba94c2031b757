using Amazon.CDK;
using Amazon.CDK.AWS.Logs;
using Constructs;

namespace SurgiCase.Deploy;

internal static class LogGroups
{
    /// <summary>
    /// A retained log group keeping events <paramref name="days"/> days. Set on the CloudFormation resource: the .NET
    /// <c>RetentionDays</c> enum's numbers are positions, not days.
    /// </summary>
    public static LogGroup Create(Construct scope, string id, string name, int days)
    {
        var group = new LogGroup(scope, id, new LogGroupProps { LogGroupName = name, RemovalPolicy = RemovalPolicy.RETAIN });
        ((CfnLogGroup)group.Node.DefaultChild!).RetentionInDays = days;
        return group;
    }
}
