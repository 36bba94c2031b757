using System.Runtime.CompilerServices;
using Amazon.CDK;
using Constructs;

namespace SurgiCase.Deploy;

/// <summary>
/// cdk-nag suppressions, written next to the resource they are about and carried in the template as the resource's
/// <c>Metadata.cdk_nag.rules_to_suppress: [{id, reason}]</c>, where deploy/lint/cdk-nag.mjs reads them. Every reason
/// is listed in docs/security.md.
/// </summary>
internal static class Nag
{
    private static readonly ConditionalWeakTable<CfnResource, List<(string Id, string Reason)>> Suppressions = new();

    /// <summary>Suppresses rule <paramref name="id"/> (e.g. <c>AwsSolutions-IAM5[Resource::*]</c>) on the construct's CloudFormation resource.</summary>
    public static void Suppress(IConstruct construct, string id, string reason)
    {
        var resource = construct as CfnResource ?? construct.Node.DefaultChild as CfnResource
            ?? throw new ArgumentException($"{construct.Node.Path} has no CloudFormation resource to suppress {id} on.", nameof(construct));
        var rules = Suppressions.GetOrCreateValue(resource);
        if (rules.Exists(r => r.Id == id))
        {
            return;
        }

        rules.Add((id, reason));
        resource.AddMetadata("cdk_nag", new Dictionary<string, object>
        {
            ["rules_to_suppress"] = rules
                .Select(r => (object)new Dictionary<string, object> { ["id"] = r.Id, ["reason"] = r.Reason })
                .ToArray(),
        });
    }

    /// <summary>Suppresses <paramref name="id"/> on every resource of <paramref name="cfnType"/> under <paramref name="scope"/>.</summary>
    public static void SuppressAll(IConstruct scope, string cfnType, string id, string reason)
    {
        foreach (var resource in scope.Node.FindAll().OfType<CfnResource>().Where(r => r.CfnResourceType == cfnType))
        {
            Suppress(resource, id, reason);
        }
    }
}
