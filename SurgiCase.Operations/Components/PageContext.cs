namespace SurgiCase.Operations.Components;

/// <summary>What every rendered page needs besides its data.</summary>
/// <param name="Antiforgery">The hidden field every form carries; null only where no form may post (never on a real page).</param>
/// <param name="User">The signed-in operator, or null on the sign-in page.</param>
/// <param name="Notice">One fixed sentence about the action just taken.</param>
/// <param name="CanOperate">Whether the signed-in person may act (the operator role): a viewer is shown no buttons.</param>
public sealed record PageContext(DateTimeOffset Now, AntiforgeryField? Antiforgery, string? User, OperationsOptions Options, string? Notice = null,
    bool CanOperate = true);

/// <summary>The antiforgery form field: its name and this request's token.</summary>
public sealed record AntiforgeryField(string Name, string Value);
