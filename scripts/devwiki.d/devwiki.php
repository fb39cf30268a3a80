<?php
// devwiki: a Wikipedia-like content wiki that uses devcommons' files, as Wikipedias use Commons.
$wgUseInstantCommons = false;
$wgForeignFileRepos[] = [
	'class' => ForeignDBRepo::class,
	'name' => 'devcommons',
	'url' => 'http://127.0.0.1:8182/img_auth.php',
	'directory' => getenv( 'DEVWIKI_STATE' ) . '/uploads/devcommons',
	'hashLevels' => 2,
	'dbType' => $wgDBtype,
	'dbServer' => $wgDBserver,
	'dbUser' => $wgDBuser,
	'dbPassword' => $wgDBpassword,
	'dbFlags' => DBO_DEFAULT,
	'dbName' => 'devcommons',
	'tablePrefix' => '',
	'hasSharedCache' => false,
	'descBaseUrl' => 'http://127.0.0.1:8182/index.php/File:',
	'fetchDescription' => false,
];
