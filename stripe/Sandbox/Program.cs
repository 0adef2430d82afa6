Billing.StripeSandbox.SandboxApp.Build(args).Run();
