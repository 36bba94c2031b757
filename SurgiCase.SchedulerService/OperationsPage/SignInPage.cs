namespace SurgiCase.SchedulerService.OperationsPage;

/// <summary>The sign-in form: the operator key, once, exchanged for a session cookie.</summary>
internal static class SignInPage
{
    public static string Render(PageContext page, string returnUrl, string? error)
    {
        var message = error is null ? Html.Empty : H.Of($"""<p class="form-error" role="alert">{error}</p>""");
        var main = H.Of($"""
            <section class="card signin">
              <h1>Sign in</h1>
              <p class="muted">Enter the operator key. Locally it is the AppHost's <code>admin-api-key</code>:
              <code>dotnet user-secrets list --project SurgiCase.AppHost</code>.</p>
              {message}
              <form method="post" action="{OperationsRoutes.SignIn}" class="form">
                {page.AntiforgeryField}
                <input type="hidden" name="returnUrl" value="{returnUrl}">
                <label for="key">Operator key</label>
                <input id="key" name="key" type="password" autocomplete="current-password" required autofocus>
                <button type="submit" class="btn btn--primary btn--block">Sign in</button>
              </form>
            </section>
            """);
        return PageLayout.Render("Sign in", page, main, refresh: false);
    }
}
