using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Amazon.Runtime;
using Microsoft.Extensions.Logging;

namespace SurgiCase.Aws;

/// <summary>
/// The shared body of every AWS call: the span, the send, and the translation of every failure into
/// an <see cref="AwsServiceException"/>. Cancellation by the caller is not a failure and propagates as is.
/// </summary>
internal static class AwsCall
{
    private const string InvalidResponseCode = AwsServiceException.InvalidResponseCode;
    private const string CredentialsUnavailableCode = AwsServiceException.CredentialsUnavailableCode;

    public static async Task<T> SendAsync<T>(
        HttpClient http,
        ILogger logger,
        string service,
        string operation,
        bool isRead,
        Func<HttpRequestMessage> createRequest,
        Func<HttpContent, CancellationToken, Task<T?>> readResult,
        Action<Activity>? enrich,
        CancellationToken cancellationToken)
    {
        using var activity = AwsTelemetry.StartCall(service, operation);
        if (activity is not null)
        {
            enrich?.Invoke(activity);
        }

        try
        {
            using var request = createRequest();
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.Headers.TryGetValues("x-amzn-RequestId", out var requestIds))
            {
                activity?.SetTag("aws.request_id", requestIds.FirstOrDefault());
            }

            if (!response.IsSuccessStatusCode)
            {
                throw await AwsErrorParser.ReadAsync(service, response, cancellationToken).ConfigureAwait(false);
            }

            T? result;
            try
            {
                result = await readResult(response.Content, cancellationToken).ConfigureAwait(false);
            }
            catch (JsonException e)
            {
                // Neither the body nor the JsonException (whose text can quote it) is kept:
                // a Secrets Manager response body is the secret.
                throw new AwsServiceException(service, InvalidResponseCode, response.StatusCode,
                    $"Unreadable {operation} response (byte {e.BytePositionInLine} of line {e.LineNumber}).", null, transient: isRead);
            }

            // A garbled answer to a read is a fault on the way (a proxy, a cut connection), worth a retry or a stale value;
            // to a send it is not, since AWS may have acted on the request already.
            return result ?? throw new AwsServiceException(service, InvalidResponseCode, response.StatusCode, $"Empty {operation} response.", null, transient: isRead);
        }
        catch (Exception e)
        {
            var failure = Translate(e, service, http, cancellationToken);
            if (failure is null)
            {
                throw;
            }

            activity?.SetTag("aws.error_code", failure.ErrorCode);
            activity?.SetStatus(ActivityStatusCode.Error, failure.ErrorCode);
            AwsLog.CallFailed(logger, service, operation, failure.ErrorCode, failure.StatusCode, failure.AwsMessage);
            if (ReferenceEquals(failure, e))
            {
                throw;
            }

            throw failure;
        }
    }

    private static AwsServiceException? Translate(Exception e, string service, HttpClient http, CancellationToken cancellationToken) => e switch
    {
        AwsServiceException aws => aws,
        // HttpClient reports its own Timeout as a cancellation; only the caller's token means "cancelled".
        OperationCanceledException when !cancellationToken.IsCancellationRequested =>
            new AwsServiceException(service, AwsServiceException.TimeoutCode, 0,
                $"No response within {http.Timeout.TotalSeconds:0.###} s.", e),
        HttpRequestException request =>
            new AwsServiceException(service, AwsServiceException.ConnectionFailedCode, 0,
                $"{request.HttpRequestError}: {request.Message}", e),
        // The SDK's exceptions come only from the signer resolving credentials (the credential chain, STS, the instance
        // metadata service); the call itself never left. Always transient: the service being called gave no verdict.
        AmazonServiceException sdk =>
            new AwsServiceException(service, string.IsNullOrEmpty(sdk.ErrorCode) ? CredentialsUnavailableCode : sdk.ErrorCode, 0,
                $"AWS credentials could not be resolved ({sdk.GetType().Name}).", e, transient: true),
        AmazonClientException =>
            new AwsServiceException(service, CredentialsUnavailableCode, 0, "No AWS credentials could be resolved.", e, transient: true),
        _ => null,
    };
}
