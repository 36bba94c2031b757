namespace SurgiCase.Aws;

/// <summary>AWS service names as SigV4 signs them; they also name a service in <see cref="AwsHttpHandlers"/>.</summary>
public static class AwsServiceNames
{
    public const string SecretsManager = "secretsmanager";
    public const string Ses = "ses";
    public const string Sqs = "sqs";
}
