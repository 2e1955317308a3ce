// Lets a child process run the TypeScript sources directly (`node
// --experimental-transform-types --import ./ts-hooks.mjs child.ts`): Node strips the types,
// and this hook resolves the extensionless relative imports the sources use (bundler style).
import { registerHooks } from 'node:module';

registerHooks({
  resolve(specifier, context, next) {
    try {
      return next(specifier, context);
    } catch (error) {
      if (!/^[./]/.test(specifier) || /\.[cm]?[jt]s$/.test(specifier)) throw error;
      for (const suffix of ['.ts', '/index.ts']) {
        try {
          return next(specifier + suffix, context);
        } catch {
          // try the next suffix
        }
      }
      throw error;
    }
  },
});
