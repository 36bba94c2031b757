using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using SurgiCase.LocalAwsProxy.Faults;
using SurgiCase.LocalAwsProxy.Ses;

namespace SurgiCase.LocalAwsProxy;

/// <summary>
/// Forwards AWS calls to moto unchanged, unless a fault is set for the called service: then it answers
/// the AWS-shaped error (JSON protocol: <c>X-Amzn-ErrorType</c> header and <c>__type</c> body), holds
/// the call as a timeout, or drops the connection. An SES SendEmail that moto accepted then gets the feedback SES's
/// mailbox simulator would send (<see cref="MailboxSimulator"/>), published after the answer went back to the caller.
/// </summary>
internal sealed partial class AwsForwarder(HttpClient upstream, AwsFaultSwitch faults, MailboxSimulator simulator, ILogger<AwsForwarder> logger)
{
    private static readonly HashSet<string> HopByHopHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Transfer-Encoding", "Keep-Alive", "Upgrade", "Proxy-Connection", "TE", "Trailer",
    };

    public async Task HandleAsync(HttpContext context)
    {
        // moto's answers pass through as they are: an empty error body must not become problem details.
        if (context.Features.Get<IStatusCodePagesFeature>() is { } statusCodePages)
        {
            statusCodePages.Enabled = false;
        }

        var service = ServiceOf(context.Request);
        var target = context.Request.Headers["X-Amz-Target"].ToString();
        var fault = faults.Match(service, target);
        if (fault is not null)
        {
            faults.CountInjected(service);
            LogInjected(logger, fault.Mode, fault.ErrorCode, service);
            await AnswerFaultAsync(context, fault);
            return;
        }

        faults.CountForwarded(service);
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), context.Request.Path + context.Request.QueryString);
        var body = new MemoryStream();
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            body.Position = 0;
            request.Content = new StreamContent(body);
        }

        foreach (var (name, values) in context.Request.Headers)
        {
            if (HopByHopHeaders.Contains(name))
            {
                continue;
            }

            if (!request.Headers.TryAddWithoutValidation(name, values.ToArray()))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
            }
        }

        using var response = await upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!HopByHopHeaders.Contains(name))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }

        if (!MailboxSimulator.IsSendEmail(context.Request) || !response.IsSuccessStatusCode)
        {
            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
            return;
        }

        // The caller has its MessageId (and records it) before any feedback on it is published, as with SES.
        var answer = await response.Content.ReadAsByteArrayAsync(context.RequestAborted);
        await context.Response.Body.WriteAsync(answer, context.RequestAborted);
        await context.Response.CompleteAsync();
        await simulator.PublishAsync(body.ToArray(), answer, CancellationToken.None);
    }

    private static async Task AnswerFaultAsync(HttpContext context, AwsFault fault)
    {
        switch (fault.Mode)
        {
            case "refuse":
                context.Abort();
                return;
            case "timeout":
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(fault.DelaySeconds), context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    // The caller gave up first, as a client with a timeout should.
                }

                context.Abort();
                return;
            default:
                context.Response.StatusCode = fault.Status;
                context.Response.Headers["X-Amzn-ErrorType"] = fault.ErrorCode;
                context.Response.ContentType = "application/x-amz-json-1.1";
                await context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, string>
                {
                    ["__type"] = fault.ErrorCode,
                    ["message"] = fault.Message,
                }));
                return;
        }
    }

    /// <summary>The AWS service a request is for, from the SigV4 credential scope (as moto routes it).</summary>
    internal static string ServiceOf(HttpRequest request)
    {
        var match = CredentialScope().Match(request.Headers.Authorization.ToString());
        return match.Success ? match.Groups["service"].Value : "unknown";
    }

    [GeneratedRegex(@"Credential=[^/]+/\d{8}/[^/]+/(?<service>[a-z0-9-]+)/aws4_request")]
    private static partial Regex CredentialScope();

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Injected AWS fault {Mode} {ErrorCode} for {Service}")]
    private static partial void LogInjected(ILogger logger, string mode, string errorCode, string service);
}
