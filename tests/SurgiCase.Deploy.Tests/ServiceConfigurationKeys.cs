using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace SurgiCase.Deploy.Tests;

/// <summary>
/// The configuration keys a service reads, derived from its code by convention rather than listed by hand, so an
/// options class that moves, is renamed or gains a property changes this list by itself:
/// <list type="bullet">
/// <item>an options type is any type in the service's assembly or the SurgiCase libraries it references that declares
/// <c>const string SectionName</c>; its keys are the section plus the property paths the configuration binder would
/// fill (nested objects, <c>:N</c> for list items, <c>:&lt;name&gt;</c> for dictionary entries);</item>
/// <item>a <c>const string</c> named <c>&lt;Name&gt;SectionName</c> is where a shared options type <c>&lt;Name&gt;Options</c> is
/// bound for this service (<c>OutboxSectionName</c>: <c>Scheduler:Outbox</c> binds <c>OutboxOptions</c>);</item>
/// <item>a type with a <c>SectionName</c> but no settable property of its own reads its section freely (per-caller
/// keys such as <c>Authentication:ApiKeys:&lt;caller&gt;</c>), so any key below it counts;</item>
/// <item>a <c>const string</c> named <c>ConnectionStringName</c> or ending in <c>ConnectionName</c> is a connection
/// string, <c>ConnectionStrings:&lt;value&gt;</c>.</item>
/// </list>
/// A key is required when its property is <c>[Required]</c> and has no default.
/// </summary>
internal sealed class ServiceConfigurationKeys
{
    private const string AnyName = "*";
    private const string AnyIndex = "#";
    private const string AnythingBelow = "**";

    private readonly List<string[]> _patterns = [];
    private readonly List<string> _required = [];
    private readonly List<string> _connectionStrings = [];
    private readonly Dictionary<string, object?> _defaults = new(StringComparer.OrdinalIgnoreCase);

    private ServiceConfigurationKeys(Assembly service)
    {
        var types = Closure(service).SelectMany(LoadableTypes).ToList();
        var optionsTypes = types.Where(t => t.Name.EndsWith("Options", StringComparison.Ordinal))
            .GroupBy(t => t.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var type in types)
        {
            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                if (field is not { IsLiteral: true } || field.FieldType != typeof(string) || field.GetRawConstantValue() is not string value)
                {
                    continue;
                }

                if (field.Name == "SectionName")
                {
                    AddSection(type, value);
                }
                else if (field.Name.EndsWith("SectionName", StringComparison.Ordinal)
                    && optionsTypes.TryGetValue(field.Name[..^"SectionName".Length] + "Options", out var bound))
                {
                    AddSection(bound, value);
                }
                else if (field.Name == "ConnectionStringName" || field.Name.EndsWith("ConnectionName", StringComparison.Ordinal))
                {
                    var key = $"ConnectionStrings:{value}";
                    _connectionStrings.Add(key);
                    _patterns.Add(key.Split(':'));
                }
            }
        }
    }

    public static ServiceConfigurationKeys Of(Assembly service) => new(service);

    /// <summary>Keys (colon form) that must be set because their options demand them and give no default.</summary>
    public IReadOnlyList<string> Required => _required;

    /// <summary>The connection strings the service reads.</summary>
    public IReadOnlyList<string> ConnectionStrings => _connectionStrings;

    /// <summary>The patterns, for failure messages (<c>*</c> any name, <c>#</c> an index, <c>**</c> anything below).</summary>
    public IEnumerable<string> Patterns => _patterns.Select(p => string.Join(':', p));

    /// <summary>Whether the service reads <paramref name="key"/> (colon or double-underscore form, any case).</summary>
    public bool Reads(string key)
    {
        var segments = key.Replace("__", ":", StringComparison.Ordinal).Split(':');
        return _patterns.Any(pattern => Matches(pattern, segments));
    }

    /// <summary>The default value of a leaf option, as a fresh options object holds it.</summary>
    public object? DefaultOf(string key) =>
        _defaults.TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"No option '{key}' with a default.");

    private void AddSection(Type type, string section)
    {
        var settable = type.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(p => p.SetMethod is { IsPublic: true });
        if (!settable.Any())
        {
            _patterns.Add([.. section.Split(':'), AnythingBelow]);
            return;
        }

        AddProperties(type, section.Split(':'), Instance(type), depth: 0);
    }

    private void AddProperties(Type type, string[] prefix, object? instance, int depth)
    {
        if (depth > 6)
        {
            return;
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(IsBindable))
        {
            var name = property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name;
            var path = prefix.Append(name).ToArray();
            var value = instance is null ? null : property.GetValue(instance);
            AddValue(property.PropertyType, path, value, depth);
            if (IsSimple(property.PropertyType))
            {
                _defaults[string.Join(':', path)] = value;
                if (property.GetCustomAttribute<RequiredAttribute>() is not null && (value is null || value is "" ))
                {
                    _required.Add(string.Join(':', path));
                }
            }
        }
    }

    private void AddValue(Type type, string[] path, object? value, int depth)
    {
        if (IsSimple(type))
        {
            _patterns.Add(path);
        }
        else if (DictionaryValueType(type) is { } valueType)
        {
            AddValue(valueType, [.. path, AnyName], null, depth + 1);
        }
        else if (ElementType(type) is { } elementType)
        {
            AddValue(elementType, [.. path, AnyIndex], null, depth + 1);
        }
        else if (type.IsClass && IsOurs(type))
        {
            AddProperties(type, path, value ?? Instance(type), depth + 1);
        }
    }

    private static bool Matches(string[] pattern, string[] key)
    {
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == AnythingBelow)
            {
                return key.Length > i;
            }

            if (i >= key.Length)
            {
                return false;
            }

            var matches = pattern[i] switch
            {
                AnyName => key[i].Length > 0,
                AnyIndex => key[i].All(char.IsAsciiDigit) && key[i].Length > 0,
                _ => string.Equals(pattern[i], key[i], StringComparison.OrdinalIgnoreCase),
            };
            if (!matches)
            {
                return false;
            }
        }

        return key.Length == pattern.Length;
    }

    // What the binder fills: settable properties, and get-only ones it can fill in place (collections, objects).
    private static bool IsBindable(PropertyInfo property) =>
        property.GetIndexParameters().Length == 0
        && property.GetMethod is { IsPublic: true }
        && (property.SetMethod is { IsPublic: true } || !IsSimple(property.PropertyType));

    private static bool IsSimple(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
            || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(Guid) || type == typeof(Uri);
    }

    // Option objects are ours; framework types (Type, delegates, loggers) are not bound from configuration.
    private static bool IsOurs(Type type) => type.Assembly.GetName().Name!.StartsWith("SurgiCase.", StringComparison.Ordinal);

    private static Type? DictionaryValueType(Type type) =>
        type.GetInterfaces().Append(type)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>) && i.GetGenericArguments()[0] == typeof(string))
            ?.GetGenericArguments()[1];

    private static Type? ElementType(Type type) =>
        type.IsArray
            ? type.GetElementType()
            : typeof(IEnumerable).IsAssignableFrom(type)
                ? type.GetInterfaces().Append(type)
                    .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))
                    ?.GetGenericArguments()[0]
                : null;

    private static object? Instance(Type type)
    {
        try
        {
            return type.IsAbstract || type.GetConstructor(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance, Type.EmptyTypes) is null
                ? null
                : Activator.CreateInstance(type, nonPublic: true);
        }
        catch (TargetInvocationException)
        {
            return null;
        }
    }

    /// <summary>The service's assembly and every SurgiCase library it references, directly or not.</summary>
    private static IEnumerable<Assembly> Closure(Assembly service)
    {
        var seen = new Dictionary<string, Assembly>(StringComparer.Ordinal);
        var pending = new Stack<Assembly>([service]);
        while (pending.TryPop(out var assembly))
        {
            if (!seen.TryAdd(assembly.GetName().Name!, assembly))
            {
                continue;
            }

            foreach (var reference in assembly.GetReferencedAssemblies().Where(r => r.Name!.StartsWith("SurgiCase.", StringComparison.Ordinal)))
            {
                pending.Push(Assembly.Load(reference));
            }
        }

        return seen.Values;
    }

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.OfType<Type>();
        }
    }
}
