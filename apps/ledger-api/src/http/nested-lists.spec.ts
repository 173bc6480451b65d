import { getMetadataStorage } from 'class-validator';
import { AppModule } from '../app.module.js';

/**
 * `@ValidateNested({ each: true })` alone lets a list element that is itself
 * an array (or empty) through to the decider: class-validator descends into
 * it and finds nothing to check. Every list of nested DTOs must also say
 * `@IsObject({ each: true })`, so such a body is a 400, never a 500.
 */
describe('lists of nested DTOs', () => {
  it('require each element to be an object', () => {
    expect(AppModule).toBeDefined(); // loads every controller, and so every DTO
    interface Metadata {
      type: string;
      name?: string;
      target: unknown;
      propertyName: string;
      each?: boolean;
    }
    const all = (
      getMetadataStorage() as unknown as { validationMetadatas: Map<unknown, Metadata[]> }
    ).validationMetadatas;
    const metadatas = [...all.values()].flat();
    const lists = metadatas.filter((m) => m.type === 'nestedValidation' && m.each);
    expect(lists.length).toBeGreaterThan(0);
    const unguarded = lists
      .filter(
        (list) =>
          !metadatas.some(
            (m) =>
              m.target === list.target &&
              m.propertyName === list.propertyName &&
              m.name === 'isObject' &&
              m.each,
          ),
      )
      .map((list) => `${(list.target as { name: string }).name}.${list.propertyName}`);
    expect(unguarded).toEqual([]);
  });
});
