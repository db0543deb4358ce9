import { Module } from '@nestjs/common';
import { MemoryModule } from '../memory/memory.module';
import { ActorsController } from './actors.controller';
import { ContextModule } from './context.module';

/** GET /actors/:key: what the service remembers of an actor, and its prose summary. */
@Module({ imports: [MemoryModule, ContextModule], controllers: [ActorsController] })
export class ContextApiModule {}
