import { ConfigurationError, loadConfig } from './ledger-config.js';

describe('loadConfig: shutdown and readiness bounds', () => {
  it('defaults to a 10 s drain and a 30 s readiness lag bound', () => {
    const config = loadConfig({});
    expect(config.shutdownTimeoutMs).toBe(10_000);
    expect(config.readyMaxLagMs).toBe(30_000);
  });

  it('takes whole milliseconds', () => {
    const config = loadConfig({ LEDGER_SHUTDOWN_TIMEOUT_MS: '2500', LEDGER_READY_MAX_LAG_MS: '0' });
    expect(config.shutdownTimeoutMs).toBe(2_500);
    expect(config.readyMaxLagMs).toBe(0);
  });

  it.each([
    ['LEDGER_SHUTDOWN_TIMEOUT_MS', '0'],
    ['LEDGER_SHUTDOWN_TIMEOUT_MS', '1.5'],
    ['LEDGER_SHUTDOWN_TIMEOUT_MS', '600001'],
    ['LEDGER_SHUTDOWN_TIMEOUT_MS', 'ten seconds'],
    ['LEDGER_READY_MAX_LAG_MS', '-1'],
    ['LEDGER_READY_MAX_LAG_MS', 'soon'],
  ])('refuses to start with %s=%s', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigurationError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });
});
