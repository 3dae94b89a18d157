/** Parse options giving the test driver's domain defaults: i686 guests, "testnetN" interface names. */
export const TEST_DOMAIN_OPTIONS = { defaultArch: 'i686', interfaceTargetPrefix: 'testnet' } as const;
