using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SurgiCase.Testing;

namespace SurgiCase.Aws.Tests;

/// <summary>What actually goes on the wire, captured after signing. moto is lenient; real AWS is not.</summary>
public sealed class WireFormatTests
{
    [Fact]
    public async Task GetSecretValue_is_a_signed_json_1_1_post_to_the_regional_endpoint()
    {
        var aws = AwsFaultPlan.Always(AwsFault.Respond(HttpStatusCode.OK,
            """{"ARN":"arn:x","Name":"surgicase/main","SecretString":"{}","VersionId":"v1","CreatedDate":1760947960.123}"""));
        using var host = new AwsTestHost(serviceUrl: null, handler: aws.CreateHandler);

        var secret = await host.Secrets.GetSecretValueAsync("surgicase/main");

        Assert.Equal(new SecretValue("surgicase/main", "{}", "v1", DateTimeOffset.FromUnixTimeMilliseconds(1760947960123)), secret);
        var request = Assert.Single(aws.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(new Uri("https://secretsmanager.us-east-1.amazonaws.com/"), request.Uri);
        Assert.Equal("secretsmanager.GetSecretValue", request.Headers["X-Amz-Target"]);
        Assert.Equal("application/x-amz-json-1.1", request.ContentType);
        Assert.Equal("""{"SecretId":"surgicase/main"}""", request.Body);
        AssertSigned(request, "secretsmanager");
    }

    [Fact]
    public async Task SendEmail_is_a_signed_rest_json_post_with_html_and_text_parts()
    {
        var aws = AwsFaultPlan.Always(AwsFault.Respond(HttpStatusCode.OK, """{"MessageId":"m-1"}"""));
        using var host = new AwsTestHost(serviceUrl: null, handler: aws.CreateHandler);

        var id = await host.Ses.SendEmailAsync(new EmailMessage("alerts@surgicase.local", ["a@x.local", "b@x.local"], "Subj", "<b>h</b>", "t"));

        Assert.Equal("m-1", id);
        var request = Assert.Single(aws.Requests);
        Assert.Equal(new Uri("https://email.us-east-1.amazonaws.com/v2/email/outbound-emails"), request.Uri);
        AssertSigned(request, "ses");
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal("alerts@surgicase.local", (string?)body["FromEmailAddress"]);
        Assert.Equal(["a@x.local", "b@x.local"], body["Destination"]!["ToAddresses"]!.AsArray().Select(a => (string?)a));
        var simple = body["Content"]!["Simple"]!;
        Assert.Equal("Subj", (string?)simple["Subject"]!["Data"]);
        Assert.Equal("UTF-8", (string?)simple["Subject"]!["Charset"]);
        Assert.Equal("<b>h</b>", (string?)simple["Body"]!["Html"]!["Data"]);
        Assert.Equal("UTF-8", (string?)simple["Body"]!["Html"]!["Charset"]);
        Assert.Equal("t", (string?)simple["Body"]!["Text"]!["Data"]);
        Assert.Equal("UTF-8", (string?)simple["Body"]!["Text"]!["Charset"]);
    }

    [Fact]
    public async Task Each_attempt_is_signed_afresh()
    {
        var aws = AwsFaultPlan.Always(AwsFault.Respond(HttpStatusCode.OK, """{"Name":"n","SecretString":"{}","VersionId":"v"}"""));
        using var host = new AwsTestHost(serviceUrl: null, handler: aws.CreateHandler);

        await host.Secrets.GetSecretValueAsync("a");
        await host.Secrets.GetSecretValueAsync("b");

        Assert.Equal(2, aws.Requests.Count);
        Assert.NotEqual(aws.Requests[0].Headers["Authorization"], aws.Requests[1].Headers["Authorization"]);
    }

    private static void AssertSigned(AwsRequest request, string service)
    {
        var authorization = request.Headers["Authorization"];
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=test/", authorization, StringComparison.Ordinal);
        Assert.Contains($"/us-east-1/{service}/aws4_request", authorization, StringComparison.Ordinal);
        Assert.Contains("host", authorization, StringComparison.Ordinal);
        Assert.Contains("x-amz-date", authorization, StringComparison.Ordinal);
        Assert.Matches("^[0-9]{8}T[0-9]{6}Z$", request.Headers["X-Amz-Date"]);
    }
}
