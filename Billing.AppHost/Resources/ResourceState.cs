namespace Billing.AppHost.Resources;

public enum ResourceState { Starting, Healthy, Unhealthy, Failed, Stopped }
