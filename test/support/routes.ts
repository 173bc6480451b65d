import { PATH_METADATA, METHOD_METADATA } from '@nestjs/common/constants.js';
import { RequestMethod, type DynamicModule, type Type } from '@nestjs/common';
import { AppModule } from '../../apps/ledger-api/src/app.module.js';
import { loadConfig } from '../../apps/ledger-api/src/config/ledger-config.js';
import { ACCESS, type Access } from '../../apps/ledger-api/src/security/roles.js';

/** Every controller of a module and of the modules it imports, as Nest would find them. */
function controllersOf(module: DynamicModule | Type<unknown>): Array<Type<unknown>> {
  const dynamic = 'module' in module ? module : undefined;
  const type = dynamic ? dynamic.module : (module as Type<unknown>);
  const own = [
    ...((Reflect.getMetadata('controllers', type) ?? []) as Array<Type<unknown>>),
    ...((dynamic?.controllers ?? []) as Array<Type<unknown>>),
  ];
  const imports = [
    ...((Reflect.getMetadata('imports', type) ?? []) as Array<DynamicModule | Type<unknown>>),
    ...((dynamic?.imports ?? []) as Array<DynamicModule | Type<unknown>>),
  ];
  return [...own, ...imports.flatMap(controllersOf)];
}

/**
 * Every route the app registers (`GET /v1/groups/:id`) with the access
 * decision its `@Roles`/`@Public` (security/roles.ts) gives it.
 */
export function registeredRoutes(): Array<{ route: string; access: Access | undefined }> {
  const controllers = controllersOf(AppModule.forRoot(loadConfig({})));
  return controllers.flatMap((controller) => {
    const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
    const classAccess = Reflect.getMetadata(ACCESS, controller) as Access | undefined;
    return Object.getOwnPropertyNames(controller.prototype)
      .map((name) => (controller.prototype as Record<string, unknown>)[name])
      .filter(
        (handler): handler is object =>
          typeof handler === 'function' && Reflect.hasMetadata(METHOD_METADATA, handler),
      )
      .map((handler) => {
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        const path =
          `/${[base, String(Reflect.getMetadata(PATH_METADATA, handler) ?? '')].filter((p) => p && p !== '/').join('/')}`.replace(
            /\/+/g,
            '/',
          );
        return {
          route: `${method} ${path === '/' ? '/' : path.replace(/\/$/, '')}`,
          access: (Reflect.getMetadata(ACCESS, handler) as Access | undefined) ?? classAccess,
        };
      });
  });
}
