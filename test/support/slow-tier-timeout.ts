/**
 * The int and e2e tiers open stores, boot the app, spawn processes and write
 * files: on a loaded 2-core machine a test or hook can take longer than Jest's
 * 5 s default with nothing wrong. Unit tests keep the default; a test that needs
 * more than this says so itself.
 */
import.meta.jest.setTimeout(60_000);
