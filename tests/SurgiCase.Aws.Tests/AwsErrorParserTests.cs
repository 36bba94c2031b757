using System.Net;

namespace SurgiCase.Aws.Tests;

public sealed class AwsErrorParserTests
{
    [Fact]
    public void Header_error_type_wins_and_its_suffix_is_stripped()
    {
        var e = AwsErrorParser.Parse("ses", HttpStatusCode.BadRequest,
            "MessageRejected:http://internal.amazon.com/coral/com.amazonaws.sesv2/",
            """{"message":"Email address is not verified."}""");

        Assert.Equal("MessageRejected", e.ErrorCode);
        Assert.Equal("Email address is not verified.", e.AwsMessage);
        Assert.Equal(HttpStatusCode.BadRequest, e.StatusCode);
        Assert.Equal("ses", e.Service);
    }

    [Fact]
    public void Body_type_with_namespace_prefix_and_suffix_is_normalized()
    {
        var e = AwsErrorParser.Parse("secretsmanager", HttpStatusCode.InternalServerError, null,
            """{"__type":"com.amazonaws.secretsmanager#InternalServiceError:http://internal.amazon.com/","Message":"Dependency exception"}""");

        Assert.Equal("InternalServiceError", e.ErrorCode);
        Assert.Equal("Dependency exception", e.AwsMessage);
        Assert.True(e.IsTransient);
    }

    [Theory]
    [InlineData("""{"__type":"ThrottlingException","message":"lower case"}""", "lower case")]
    [InlineData("""{"__type":"ThrottlingException","Message":"upper case"}""", "upper case")]
    public void Message_is_read_from_message_or_Message(string body, string expected)
    {
        var e = AwsErrorParser.Parse("secretsmanager", HttpStatusCode.BadRequest, null, body);

        Assert.Equal("ThrottlingException", e.ErrorCode);
        Assert.Equal(expected, e.AwsMessage);
        Assert.True(e.IsTransient);
    }

    [Fact]
    public void Rest_json_code_property_is_accepted()
    {
        var e = AwsErrorParser.Parse("ses", HttpStatusCode.TooManyRequests, null, """{"code":"TooManyRequestsException","message":"slow down"}""");

        Assert.Equal("TooManyRequestsException", e.ErrorCode);
        Assert.True(e.IsTransient);
    }

    [Fact]
    public void Xml_error_body_is_read()
    {
        var e = AwsErrorParser.Parse("secretsmanager", HttpStatusCode.Forbidden, null,
            "<ErrorResponse><Errors><Error><Code>SignatureDoesNotMatch</Code><Message>bad sig</Message></Error></Errors></ErrorResponse>");

        Assert.Equal("SignatureDoesNotMatch", e.ErrorCode);
        Assert.Equal("bad sig", e.AwsMessage);
        Assert.False(e.IsTransient);
    }

    [Fact]
    public void Unparseable_body_falls_back_to_the_status_and_is_not_echoed()
    {
        const string body = "<html>upstream proxy error: SecretString=hunter2</html";

        var e = AwsErrorParser.Parse("secretsmanager", HttpStatusCode.ServiceUnavailable, null, body, "Service Unavailable");

        Assert.Equal("ServiceUnavailable", e.ErrorCode);
        Assert.Equal("Service Unavailable", e.AwsMessage);
        Assert.DoesNotContain("hunter2", e.ToString(), StringComparison.Ordinal);
        Assert.True(e.IsTransient);
    }

    [Fact]
    public void Body_fields_other_than_code_and_message_are_dropped()
    {
        var e = AwsErrorParser.Parse("secretsmanager", HttpStatusCode.BadRequest, null,
            """{"__type":"ValidationException","message":"bad","SecretString":"hunter2"}""");

        Assert.DoesNotContain("hunter2", e.ToString(), StringComparison.Ordinal);
        Assert.Equal("AWS secretsmanager error ValidationException (400): bad", e.Message);
    }

    [Theory]
    [InlineData("aws.protocols#ValidationException", "ValidationException")]
    [InlineData("ResourceNotFoundException:http://internal.amazon.com/", "ResourceNotFoundException")]
    [InlineData("com.amazonaws.secretsmanager#ResourceNotFoundException:http://x/", "ResourceNotFoundException")]
    [InlineData("   ", null)]
    public void NormalizeCode_strips_namespace_and_suffix(string raw, string? expected) =>
        Assert.Equal(expected, AwsErrorParser.NormalizeCode(raw));
}
