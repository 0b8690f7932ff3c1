export const QUEUE_OPTIONS = Symbol('QUEUE_OPTIONS');
