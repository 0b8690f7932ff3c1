/** The time source of every rule that depends on "now"; tests replace it to travel in time. */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
