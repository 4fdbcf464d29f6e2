// Starts a Salesforce emulator with a sized seed in its own process (for bench/salesforce-emulator.ts,
// so the emulator and jsforce each get a core, as when the emulator runs from the CLI).
// Prints one JSON line {url, clientId, clientSecret, seedMs} when ready; exits on SIGTERM.
import { createSalesforceEmulator } from '../emulators/salesforce/index.js';

const n = Number(process.argv[2] ?? 100_000);
const t0 = performance.now();
const emu = await createSalesforceEmulator({ seed: { kind: 'sized', opportunities: n } });
const tokens = await emu.admin.issueTokens();
process.stdout.write(
  JSON.stringify({
    url: emu.url,
    clientId: emu.clientId,
    clientSecret: emu.clientSecret,
    seedMs: performance.now() - t0,
    ...tokens,
  }) + '\n',
);
process.once('SIGTERM', () => void emu.close().finally(() => process.exit(0)));
