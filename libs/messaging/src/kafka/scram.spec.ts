import { ScramClient } from './scram';

/** The SCRAM-SHA-256 exchange of RFC 7677, section 3 (user "user", password "pencil"). */
const RFC7677 = {
  clientNonce: 'rOprNGfwEbeRWgbNEkqO',
  clientFirst: 'n,,n=user,r=rOprNGfwEbeRWgbNEkqO',
  serverFirst:
    'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096',
  clientFinal:
    'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
  serverFinal: 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=',
};

describe('SCRAM client', () => {
  it('computes the proof of RFC 7677 and accepts its server signature', () => {
    const c = new ScramClient('sha256', 'user', 'pencil', RFC7677.clientNonce);
    expect(c.first()).toBe(RFC7677.clientFirst);
    expect(c.final(RFC7677.serverFirst)).toBe(RFC7677.clientFinal);
    expect(() => c.verify(RFC7677.serverFinal)).not.toThrow();
  });

  it('refuses a server that does not know the password', () => {
    const c = new ScramClient('sha256', 'user', 'pencil', RFC7677.clientNonce);
    c.final(RFC7677.serverFirst);
    expect(() => c.verify('v=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=')).toThrow(/signature/);
    expect(() => c.verify('e=invalid-proof')).toThrow(/invalid-proof/);
  });

  it('refuses a server nonce that does not extend its own', () => {
    const c = new ScramClient('sha512', 'user', 'pencil', RFC7677.clientNonce);
    expect(() => c.final('r=someoneElse,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096')).toThrow(/nonce/);
  });

  it('escapes = and , in the user name', () => {
    expect(new ScramClient('sha512', 'a=b,c', 'x', 'n0nce').first()).toBe('n,,n=a=3Db=2Cc,r=n0nce');
  });
});
