using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.ExceptionServices;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>Wraps a real service and counts the calls of each method, to see how often a code path reads the database.</summary>
public class CountingProxy<T> : DispatchProxy where T : class
{
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private T _inner = null!;

    public static (T Service, CountingProxy<T> Counter) Wrap(T inner)
    {
        var service = Create<T, CountingProxy<T>>();
        var counter = (CountingProxy<T>)(object)service;
        counter._inner = inner;
        return (service, counter);
    }

    public int Calls(string method) => _calls.GetValueOrDefault(method);

    public void Reset() => _calls.Clear();

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        _calls.AddOrUpdate(targetMethod.Name, 1, (_, n) => n + 1);
        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }
}
