/** Unit tests sit beside their code (*.spec.ts); integration tests in tests/ (*.int-spec.ts) use real PostgreSQL and Redis. */
module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/src', '<rootDir>/tests'],
  testRegex: '.*\\.(spec|int-spec)\\.ts$',
  moduleFileExtensions: ['js', 'json', 'ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: true }],
    // The SMS Gateway for Android client ships ES module syntax only, which Node requires but Jest's CommonJS runtime cannot.
    '/node_modules/android-sms-gateway/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs' }, isolatedModules: true }],
  },
  transformIgnorePatterns: ['/node_modules/(?!android-sms-gateway/)'],
  testTimeout: 60000,
  maxWorkers: 2,
};
