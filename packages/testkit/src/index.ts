// @intellicore/testkit — private test kit. One section per area.
export * from './env.js';
