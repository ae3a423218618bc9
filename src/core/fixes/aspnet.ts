// ASP.NET Core (6+ minimal hosting). DOCUMENTATION-CHECKED: .NET cannot run on this machine, so this
// recipe is checked against the official documentation, not proven on a server:
// https://learn.microsoft.com/aspnet/core/security/cors (AddCors/AddPolicy, WithOrigins without a
// trailing slash, WithMethods/WithHeaders, AllowCredentials cannot be combined with AllowAnyOrigin,
// SetPreflightMaxAge; "UseCors must be placed after UseRouting and before UseAuthorization").
import { commentText, csString } from "./literals";
import type { CorsPolicy } from "./policy";
import type { StackRecipe } from "./stack";

export const aspnet: StackRecipe = {
  stack: "aspnet",
  label: "ASP.NET Core (AddCors)",
  render(p: CorsPolicy) {
    const strings = (values: string[]) => values.map(csString).join(", ");
    return `// CORS for ${commentText(p.url || "this API")} (Program.cs, ASP.NET Core 6+)
// Documentation-checked: https://learn.microsoft.com/aspnet/core/security/cors
const string CorsPolicyName = "CorsDoctorFix";

builder.Services.AddCors(options =>
{
    options.AddPolicy(CorsPolicyName, policy => policy
        .WithOrigins(${strings(p.origins)}) // exact origins, no trailing slash; never AllowAnyOrigin/SetIsOriginAllowed(_ => true)
        .WithMethods(${strings(p.methods)})
        .WithHeaders(${strings(p.headers)})${p.credentials ? "\n        .AllowCredentials()" : ""}
        .SetPreflightMaxAge(TimeSpan.FromSeconds(${p.maxAge})));
});

var app = builder.Build();

app.UseExceptionHandler("/error"); // before UseCors: the re-executed error request passes through CORS again
app.UseRouting();
app.Use(async (context, next) =>
{
    // The answer depends on Origin even with one allowed origin (ACAO present or absent).
    context.Response.Headers.Append("Vary", "Origin");
    await next();
});
app.UseCors(CorsPolicyName); // after UseRouting, before UseAuthentication/UseAuthorization: preflights skip auth
app.UseAuthentication();
app.UseAuthorization();
`;
  },
  notes: {
    "preflight-auth": "UseCors must come before UseAuthentication/UseAuthorization, or the preflight is challenged (401).",
    "error-responses": "Keep UseExceptionHandler before UseCors so the error response is produced through the CORS middleware.",
  },
};
