import { DynamicModule, Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from '../common/clock';
import { APP_CONFIG, AppConfig, KeyMaterial } from './config';

export const KEY_MATERIAL = Symbol('KEY_MATERIAL');

/** The validated configuration, the keys and the clock, available to every context. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig, keys: KeyMaterial, clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: KEY_MATERIAL, useValue: keys },
        { provide: Clock, useValue: clock },
      ],
      exports: [APP_CONFIG, KEY_MATERIAL, Clock],
    };
  }
}
