import type { Extension } from '@electric-sql/pglite';

// The package maps its contrib typings to the ESM build only; the CommonJS build it also ships is what loads here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { btree_gist } = require('@electric-sql/pglite/contrib/btree_gist') as { btree_gist: Extension };
