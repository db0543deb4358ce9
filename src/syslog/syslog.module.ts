import { Module } from '@nestjs/common';
import { IngestModule } from '../ingest/ingest.module';
import { MetricsModule } from '../metrics/metrics.module';
import { SyslogService } from './syslog.service';

@Module({ imports: [IngestModule, MetricsModule], providers: [SyslogService], exports: [SyslogService] })
export class SyslogModule {}
