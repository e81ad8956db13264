/** A TypeBox union of string literals (published as `anyOf` of `const`s), typed as the literal union. */
import { Type, type TLiteral, type TUnion } from '@sinclair/typebox';

export const StringEnum = <const T extends string[]>(...values: T) =>
  Type.Union(values.map((value) => Type.Literal(value))) as unknown as TUnion<TLiteral<T[number]>[]>;
