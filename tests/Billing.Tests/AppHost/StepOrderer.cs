using Xunit.Abstractions;
using Xunit.Sdk;

namespace Billing.Tests.AppHost;

/// <summary>Marks a test as step <paramref name="number"/> of a story told by one class against one running system.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class StepAttribute(int number) : Attribute
{
    public int Number { get; } = number;
}

/// <summary>Runs a class's tests in <see cref="StepAttribute"/> order (the last steps stop the system).</summary>
public sealed class StepOrderer : ITestCaseOrderer
{
    public const string TypeName = "Billing.Tests.AppHost.StepOrderer";
    public const string AssemblyName = "Billing.Tests";

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases) where TTestCase : ITestCase =>
        testCases.OrderBy(test => test.TestMethod.Method.GetCustomAttributes(typeof(StepAttribute).AssemblyQualifiedName!)
            .Select(a => a.GetConstructorArguments().Cast<int>().First()).DefaultIfEmpty(int.MaxValue).First());
}
