// Types for code-server.mjs, so TypeScript tests can share the harness.
import type { BrowserContext } from 'playwright-core';
export const root: string;
export const CHROMIUM_ARGS: string[];
export function launchChromium(viewport?: { width: number; height: number }): Promise<{ ctx: BrowserContext; close(): Promise<void> }>;
