// class-transformer 0.5 ships its metadata storage (where `@Type(() => X)` is recorded) without
// a declaration beside the CommonJS file the app loads; its types live under types/.
declare module 'class-transformer/cjs/storage.js' {
  export { defaultMetadataStorage } from 'class-transformer/types/storage.js';
}
