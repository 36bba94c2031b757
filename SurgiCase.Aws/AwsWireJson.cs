using System.Text.Json.Serialization;

namespace SurgiCase.Aws;

// AWS wire shapes. AWS JSON is PascalCase, so these do not follow the camelCase rule for our own APIs.
internal sealed record GetSecretValueRequest(string SecretId);

internal sealed record GetSecretValueResponse(string? Name, string? SecretString, string? VersionId, double? CreatedDate);

internal sealed record SesContentPart(string Data, string Charset = "UTF-8");

internal sealed record SesBody(SesContentPart Html, SesContentPart Text);

internal sealed record SesSimpleContent(SesContentPart Subject, SesBody Body);

internal sealed record SesContent(SesSimpleContent Simple);

internal sealed record SesDestination(IReadOnlyList<string> ToAddresses);

internal sealed record SendEmailRequest(string FromEmailAddress, SesDestination Destination, SesContent Content, string? ConfigurationSetName);

internal sealed record SendEmailResponse(string? MessageId);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GetSecretValueRequest))]
[JsonSerializable(typeof(GetSecretValueResponse))]
[JsonSerializable(typeof(SendEmailRequest))]
[JsonSerializable(typeof(SendEmailResponse))]
internal sealed partial class AwsWireJson : JsonSerializerContext;
