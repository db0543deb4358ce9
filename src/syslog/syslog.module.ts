import { Module } from '@nestjs/common';
import { IngestModule } from '../ingest/ingest.module';
import { SyslogService } from './syslog.service';

@Module({ imports: [IngestModule], providers: [SyslogService], exports: [SyslogService] })
export class SyslogModule {}
