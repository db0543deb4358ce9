import { Injectable } from '@nestjs/common';
import { MemoryService } from '../../memory/memory.service';
import { isBannable } from '../bouncer/lapi-decision';
import { liveBans } from '../bouncer/stream';
import { BlocklistFormat, formatBlocklist } from './blocklist';

@Injectable()
export class BlocklistService {
  constructor(private readonly memory: MemoryService) {}

  /** The bans in force, less what a manual allow in force covers, in `format`. */
  async render(format: BlocklistFormat, setName: string): Promise<string> {
    const now = new Date();
    const [bans, allows] = await Promise.all([
      this.memory.inForceOfAction('block', now),
      this.memory.inForceOfAction('allow', now),
    ]);
    return formatBlocklist(
      liveBans(bans, allows, now, isBannable).map((ban) => ban.value),
      format,
      setName,
    );
  }
}
