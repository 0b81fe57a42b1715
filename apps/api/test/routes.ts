import { PUBLIC_KEY, ROLES_KEY } from '@coinops/access';
import type { INestApplication } from '@nestjs/common';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

/** A registered route as the route walk, the security and the fuzz specs see it. */
export interface WalkedRoute {
  method: string;
  /** Express form, e.g. `/api/users/:id`. */
  path: string;
  roles: string[] | null;
  publicBecause: string | null;
  /** Property names of the JSON body schema in the OpenAPI document, if it declares one. */
  bodyFields: Record<string, { type?: string; enum?: unknown[]; format?: string }>;
}

/** Every route of the Nest router, with its declared roles and the body fields OpenAPI knows. */
export function walkRoutes(app: INestApplication): WalkedRoute[] {
  const document = SwaggerModule.createDocument(app, new DocumentBuilder().build());
  const modules = [...app.get(ModulesContainer).values()];
  const routes: WalkedRoute[] = [];
  for (const wrapper of modules.flatMap((m) => [...m.controllers.values()])) {
    const controller = wrapper.metatype as (new (...args: never[]) => unknown) | undefined;
    if (!controller || !wrapper.instance) continue;
    const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
    const prototype = controller.prototype as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const handler = prototype[name];
      if (name === 'constructor' || typeof handler !== 'function') continue;
      const methodPath = Reflect.getMetadata(PATH_METADATA, handler);
      if (methodPath === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
      const joined = [base, String(methodPath)].map((p) => p.replace(/^\/|\/$/g, '')).filter(Boolean).join('/');
      const path = joined === 'metrics' ? '/metrics' : `/api/${joined}`;
      routes.push({
        method,
        path,
        roles: Reflect.getMetadata(ROLES_KEY, handler) ?? Reflect.getMetadata(ROLES_KEY, controller) ?? null,
        publicBecause: Reflect.getMetadata(PUBLIC_KEY, handler) ?? Reflect.getMetadata(PUBLIC_KEY, controller) ?? null,
        bodyFields: bodyFieldsOf(document, method, path),
      });
    }
  }
  return routes.sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
}

function bodyFieldsOf(document: OpenAPIObject, method: string, path: string): WalkedRoute['bodyFields'] {
  const operation = (document.paths[path.replace(/:([a-zA-Z_]+)/g, '{$1}')] as Record<string, any> | undefined)?.[method.toLowerCase()];
  let schema = operation?.requestBody?.content?.['application/json']?.schema;
  if (schema?.$ref) schema = document.components?.schemas?.[String(schema.$ref).split('/').pop()!];
  return (schema?.properties as WalkedRoute['bodyFields']) ?? {};
}

/** The path with every `:param` replaced by `value`. */
export const concretePath = (path: string, value = '00000000-0000-4000-8000-000000000000') => path.replace(/:[a-zA-Z_]+/g, encodeURIComponent(value));
