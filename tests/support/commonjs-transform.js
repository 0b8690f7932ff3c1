/**
 * A Jest transformer compiling a TypeScript file to plain CommonJS, dynamic import() included (it becomes a require()).
 * For src/backup/age.ts only: the service keeps that import() so that Node loads age-encryption as the ES module it is,
 * which Jest's CommonJS runtime cannot do. Its own transformer, since ts-jest shares one configuration among all its
 * transform entries (the first one it meets).
 */
const { createHash } = require('node:crypto');
const ts = require('typescript');

const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, sourceMap: false, inlineSourceMap: true };

module.exports = {
  getCacheKey: (source, path) => createHash('sha256').update(ts.version).update(path).update(source).digest('hex'),
  process: (source, path) => ({ code: ts.transpileModule(source, { fileName: path, compilerOptions }).outputText }),
};
