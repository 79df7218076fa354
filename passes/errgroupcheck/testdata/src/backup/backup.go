package backup
