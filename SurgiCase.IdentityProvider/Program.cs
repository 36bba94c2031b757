using SurgiCase.IdentityProvider;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddIdentityProvider();

var app = builder.Build();
app.UseIdentityProvider();
app.MapDefaultEndpoints();
app.Run();
