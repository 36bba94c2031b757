using Dapper;

namespace SurgiCase.Storage;

/// <summary>
/// A list of values for <c>IN (...)</c> that means the same on both engines. Dapper expands <c>IN @list</c> into one
/// parameter per value only for drivers without arrays: with Npgsql it passes one array parameter, and PostgreSQL
/// rejects <c>IN $1</c> as a syntax error. This writes the parameters out itself.
/// </summary>
public static class SqlList
{
    /// <summary>"(@name0, @name1, ...)" for the values, added to <paramref name="parameters"/>.</summary>
    public static string In(string name, IEnumerable<string> values, DynamicParameters parameters)
    {
        var names = new List<string>();
        foreach (var value in values.Distinct(StringComparer.Ordinal))
        {
            var parameter = $"{name}{names.Count}";
            parameters.Add(parameter, value);
            names.Add("@" + parameter);
        }

        if (names.Count == 0)
        {
            throw new ArgumentException("An IN list needs at least one value.", nameof(values));
        }

        return $"({string.Join(", ", names)})";
    }
}
