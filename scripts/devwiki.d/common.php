<?php
// Settings every dev wiki shares, loaded after the installer's generated LocalSettings.php.
// They make the wikis usable from the PHP built-in server and fast tests, not a production setup.

// No APCu in the CLI server; the generated CACHE_ACCEL/CACHE_NONE would lose sessions between requests.
$wgMainCacheType = CACHE_DB;
$wgSessionCacheType = CACHE_DB;
$wgParserCacheType = CACHE_DB;
$wgUseImageMagick = false;
$wgShowExceptionDetails = true;
$wgEnableBotPasswords = true;
// Tests edit quickly as brand-new accounts; the default "newbie" limit (8 edits/minute) would throttle them.
$wgRateLimits = [];
$wgCookieSecure = false;
// The extensions Wikimedia wikis have and our templates rely on: {{#if:}}, <ref>, <templatedata>, <inputbox>.
wfLoadExtension( 'ParserFunctions' );
wfLoadExtension( 'Cite' );
wfLoadExtension( 'TemplateData' );
wfLoadExtension( 'InputBox' );
// As on Wikimedia wikis, administrators can hide a revision's text, summary or author (Special:RevisionDelete;
// core gives it to the suppress group only).
$wgGroupPermissions['sysop']['deleterevision'] = true;
$wgGroupPermissions['sysop']['deletelogentry'] = true;
// and suppress it (the oversighters' right on Wikimedia wikis): a suppression is logged in the suppress log, which
// the replicas do not show, so tests can check that the bot notices one anyway.
$wgGroupPermissions['sysop']['suppressrevision'] = true;
$wgGroupPermissions['sysop']['suppressionlog'] = true;
// Admin's BotPassword was made with the "delete" grant, not "oversight": let that grant carry the suppression.
$wgGrantPermissions['delete']['suppressrevision'] = true;
$wgGrantPermissions['delete']['viewsuppressed'] = true;
