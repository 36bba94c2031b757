using SurgiCase.NotificationService.Recipients;

namespace SurgiCase.NotificationService.Tests;

public sealed class EmailAddressValidatorTests
{
    [Theory]
    [InlineData("ops@surgicase.local")]
    [InlineData("first.last+alerts@example.co.uk")]
    public void Plain_addresses_pass(string address) => Assert.True(EmailAddressValidator.IsValid(address));

    [Theory]
    [InlineData("ops@surgicase.local\r\nBcc: evil@example.com")]
    [InlineData("ops@surgicase.local\n")]
    [InlineData("Ops <ops@surgicase.local>")]
    [InlineData("\"ops\"@surgicase.local")]
    [InlineData("no-at-sign")]
    [InlineData("ops@localhost")]
    [InlineData("ops@")]
    [InlineData("ops @surgicase.local")]
    [InlineData("")]
    public void Anything_else_is_rejected(string address) => Assert.False(EmailAddressValidator.IsValid(address));
}
