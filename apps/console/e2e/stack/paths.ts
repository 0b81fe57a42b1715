import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
export const consoleRoot = fileURLToPath(new URL('../../', import.meta.url));
export const consoleDist = fileURLToPath(new URL('../../dist/', import.meta.url));
export const testResults = fileURLToPath(new URL('../../test-results/', import.meta.url));
