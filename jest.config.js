/** Unit tests sit beside their code (*.spec.ts); integration tests in tests/ (*.int-spec.ts) use real PostgreSQL and Redis. */
module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/src', '<rootDir>/tests'],
  testRegex: '.*\\.(spec|int-spec)\\.ts$',
  moduleFileExtensions: ['js', 'json', 'ts'],
  transform: {
    // age-encryption is ES modules only; the service loads it with a dynamic import() that Node runs as ESM, which Jest's
    // CommonJS runtime cannot: here that import becomes a require() of the module transformed below.
    '/src/backup/age\\.ts$': '<rootDir>/tests/support/commonjs-transform.js',
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: true }],
    // The SMS Gateway for Android client ships ES module syntax only, which Node requires but Jest's CommonJS runtime cannot.
    // So does content-disposition 3, which @fastify/static (Swagger UI's assets) requires.
    // So do age-encryption and the @noble and @scure libraries it builds on.
    '/node_modules/(android-sms-gateway|content-disposition|age-encryption|@noble|@scure)/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs' }, isolatedModules: true }],
  },
  transformIgnorePatterns: ['/node_modules/(?!android-sms-gateway/|content-disposition/|@fastify/static/node_modules/content-disposition/|age-encryption/|@noble/|@scure/)'],
  testTimeout: 60000,
  maxWorkers: 2,
};
