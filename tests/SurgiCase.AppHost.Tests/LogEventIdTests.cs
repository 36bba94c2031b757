using System.Reflection;
using Microsoft.Extensions.Logging;
using SurgiCase.Testing;

namespace SurgiCase.AppHost.Tests;

/// <summary>
/// Every source-generated log message of the product carries an explicit event id, unique within its assembly, so a
/// log query or an alarm can name a message by number and a reworded message keeps its id. Read by reflection from the
/// compiled <c>[LoggerMessage]</c> attributes of every project at the repository's top level.
/// </summary>
public sealed class LogEventIdTests
{
    /// <summary>
    /// Namespaces whose messages are still being rewritten on another branch (issue 20.1, delivery as a pipeline): their
    /// ids come with that rewrite, in 1–99 of the NotificationService. The test fails once an entry has nothing left to
    /// excuse, so the entry is removed then.
    /// </summary>
    public static TheoryData<string> ProductAssemblies() => new(ProductProjectNames());

    [Fact]
    public void Every_product_project_is_referenced_by_this_test()
    {
        var missing = ProductProjectNames().Where(name => !IsLoadable(name)).ToList();

        Assert.True(missing.Count == 0,
            $"Add a ProjectReference to tests/SurgiCase.AppHost.Tests for: {string.Join(", ", missing)}");
    }

    [Theory]
    [MemberData(nameof(ProductAssemblies))]
    public void Every_log_message_has_its_own_event_id(string assemblyName)
    {
        var messages = LogMessagesOf(Assembly.Load(assemblyName)).ToList();

        var withoutId = messages.Where(m => m.EventId <= 0).Select(m => Describe(m.Method)).ToList();
        Assert.True(withoutId.Count == 0,
            $"[LoggerMessage] without an EventId in {assemblyName} (give each a number unused in the assembly): {string.Join(", ", withoutId)}");

        var shared = messages.Where(m => m.EventId > 0).GroupBy(m => m.EventId).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(" and ", g.Select(m => Describe(m.Method)))}").ToList();
        Assert.True(shared.Count == 0, $"Event ids used twice in {assemblyName}: {string.Join("; ", shared)}");
    }

    [Fact]
    public void The_check_sees_messages_with_and_without_an_id()
    {
        // Guards the reflection itself: a test that found no messages at all would pass for the wrong reason.
        var messages = LogMessagesOf(typeof(LogEventIdTests).Assembly).ToList();

        Assert.Contains(messages, m => m.Method.Name == nameof(LogEventIdSample.WithId) && m.EventId == 7);
        Assert.Contains(messages, m => m.Method.Name == nameof(LogEventIdSample.WithoutId) && m.EventId <= 0);
        Assert.True(LogMessagesOf(Assembly.Load("SurgiCase.SchedulerService")).Count() > 20);
    }

    private static string Describe(MethodInfo method) => $"{method.DeclaringType?.FullName}.{method.Name}";

    private static IEnumerable<(MethodInfo Method, int EventId)> LogMessagesOf(Assembly assembly) =>
        from type in assembly.GetTypes()
        from method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
        let attribute = method.GetCustomAttribute<LoggerMessageAttribute>()
        where attribute is not null
        select (method, attribute.EventId);

    /// <summary>The projects beside SurgiCase.sln (the deployment under deploy/ logs nothing and is left out).</summary>
    private static IEnumerable<string> ProductProjectNames() =>
        Directory.GetDirectories(RepositoryFolder.FullName, "SurgiCase.*")
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(name => File.Exists(RepositoryFolder.Path(name, name + ".csproj")))
            .Order(StringComparer.Ordinal);

    private static bool IsLoadable(string assemblyName)
    {
        try
        {
            Assembly.Load(assemblyName);
            return true;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    }
}

internal static partial class LogEventIdSample
{
    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "with an id")]
    public static partial void WithId(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "without an id")]
    public static partial void WithoutId(ILogger logger);
}
