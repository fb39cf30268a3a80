<?php
// devcommons: a Commons-like file wiki, so upload and file-usage tracking can be tested.
$wgEnableUploads = true;
$wgUploadDirectory = getenv( 'DEVWIKI_STATE' ) . '/uploads/devcommons';
$wgUploadPath = '/img_auth.php';
$wgFileExtensions = [ 'png', 'gif', 'jpg', 'jpeg', 'svg', 'pdf' ];
