// The mini-program's tests: miniprogram-simulate needs a DOM (jsdom).
module.exports = {
  testEnvironment: 'jsdom',
  testMatch: ['<rootDir>/test/**/*.test.js'],
  // Each file starts its own backend; one worker leaves the other core to the Python suites.
  maxWorkers: 1,
  testTimeout: 60000
}
