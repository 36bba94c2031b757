using Amazon.CDK;
using SurgiCase.Deploy;

// `npx aws-cdk@2 synth|deploy` passes context and the output folder; a plain `dotnet run` reads cdk.json itself (plus
// `@file.json` and `key=value` arguments) and writes cdk.out/ in the current folder.
var app = new App(CdkJson.AppProps(args));
try
{
    _ = new SurgiCaseStack(app, DeploymentSettings.FromContext(app.Node));
}
catch (ContextException e)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}

app.Synth();
return 0;
