using System.Security.Cryptography;
using System.Text;

namespace SurgiCase.SchedulerService.OperationsPage;

/// <summary>
/// The stylesheet and script, compiled into the service so the page works with no internet, no CDN and no
/// static-file folder to deploy. Anonymous, because the sign-in page needs the stylesheet too; they hold no data.
/// </summary>
internal static class OperationsAssets
{
    private static readonly Dictionary<string, (byte[] Body, string ContentType, string ETag)> Files = new(StringComparer.Ordinal)
    {
        ["operations.css"] = Asset(OperationsStyles.Source, "text/css; charset=utf-8"),
        ["operations.js"] = Asset(OperationsScript.Source, "text/javascript; charset=utf-8"),
    };

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet(OperationsRoutes.Assets + "/{name}", (string name, HttpContext http) =>
        {
            if (!Files.TryGetValue(name, out var file))
            {
                return Results.NotFound();
            }

            http.Response.Headers.XContentTypeOptions = "nosniff";
            http.Response.Headers.CacheControl = "public, max-age=300";
            http.Response.Headers.ETag = file.ETag;
            return http.Request.Headers.IfNoneMatch == file.ETag
                ? Results.StatusCode(StatusCodes.Status304NotModified)
                : Results.Bytes(file.Body, file.ContentType);
        }).AllowAnonymous().ExcludeFromDescription();

    private static (byte[], string, string) Asset(string source, string contentType)
    {
        var body = Encoding.UTF8.GetBytes(source);
        return (body, contentType, $"\"{Convert.ToHexString(SHA256.HashData(body))[..16]}\"");
    }
}
