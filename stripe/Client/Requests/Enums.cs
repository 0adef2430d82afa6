namespace Billing.Stripe;

// Request enums are written as snake_case strings (OneTime -> one_time) by StripeFormEncoder.
// Responses keep such fields as strings so that a value Stripe adds later never fails a read.

public enum TaxExempt { None, Exempt, Reverse }
public enum RecurringInterval { Day, Week, Month, Year }
public enum UsageType { Licensed, Metered }
public enum PriceType { OneTime, Recurring }
public enum TaxBehavior { Exclusive, Inclusive, Unspecified }
public enum BillingScheme { PerUnit, Tiered }
public enum CheckoutMode { Payment, Setup, Subscription }
public enum CheckoutSessionStatus { Open, Complete, Expired }
public enum CustomerCreation { Always, IfRequired }
public enum CaptureMethod { Automatic, AutomaticAsync, Manual }
public enum SetupFutureUsage { OnSession, OffSession }
public enum MissingPaymentMethodBehavior { Cancel, CreateInvoice, Pause }
public enum ProrationBehavior { CreateProrations, AlwaysInvoice, None }
public enum PaymentBehavior { AllowIncomplete, DefaultIncomplete, ErrorIfIncomplete, PendingIfIncomplete }
public enum PauseCollectionBehavior { KeepAsDraft, MarkUncollectible, Void }
public enum InvoiceStatus { Draft, Open, Paid, Uncollectible, Void }
public enum PortalFlowType { PaymentMethodUpdate, SubscriptionCancel, SubscriptionUpdate, SubscriptionUpdateConfirm, SubscriptionPause, CustomerUpdate }
public enum AccountType { Express, Standard, Custom }
public enum BusinessType { Individual, Company, NonProfit, GovernmentEntity }
public enum AccountLinkType { AccountOnboarding, AccountUpdate }
public enum RefundReason { Duplicate, Fraudulent, RequestedByCustomer }
public enum PaymentIntentCancellationReason { Duplicate, Fraudulent, RequestedByCustomer, Abandoned }
