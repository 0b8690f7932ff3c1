import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { PATH_METADATA } from '@nestjs/common/constants';
import { ACCESS_METADATA } from '../common/access';

/** Refuses to start when a route does not state who may call it: no route is open by omission. */
@Injectable()
export class RouteAccessCheck implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onApplicationBootstrap(): void {
    const missing = this.routesWithoutAccessRule();
    if (missing.length > 0) {
      throw new Error(`Routes without an access rule (@Roles or @Public): ${missing.join(', ')}`);
    }
  }

  routesWithoutAccessRule(): string[] {
    const missing: string[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const controller = wrapper.instance as object | undefined;
      if (!controller || !wrapper.metatype) continue;
      const prototype = Object.getPrototypeOf(controller) as Record<string, (...args: unknown[]) => unknown>;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const handler = prototype[method];
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        if (this.reflector.getAllAndOverride(ACCESS_METADATA, [handler, wrapper.metatype]) === undefined) {
          missing.push(`${wrapper.metatype.name}.${method}`);
        }
      }
    }
    return missing;
  }
}
