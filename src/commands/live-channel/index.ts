/** The LiveChannel commands (one file each). */
export * from './put-live-channel.js';
export * from './put-live-channel-status.js';
export * from './get-live-channel-info.js';
export * from './get-live-channel-stat.js';
export * from './get-live-channel-history.js';
export * from './list-live-channels.js';
export * from './delete-live-channel.js';
export * from './get-vod-playlist.js';
export * from './post-vod-playlist.js';
export type { ChannelInput } from './shared.js';
