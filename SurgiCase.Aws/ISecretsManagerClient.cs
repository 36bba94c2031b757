namespace SurgiCase.Aws;

/// <summary>One secret as Secrets Manager returned it.</summary>
public sealed record SecretValue(string Name, string? SecretString, string VersionId, DateTimeOffset? CreatedDate);

/// <summary>The slice of AWS Secrets Manager we use. Throws <see cref="AwsServiceException"/> on any failure.</summary>
public interface ISecretsManagerClient
{
    Task<SecretValue> GetSecretValueAsync(string secretId, CancellationToken cancellationToken = default);
}
